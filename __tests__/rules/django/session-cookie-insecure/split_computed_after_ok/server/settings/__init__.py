"""The deployment's own settings file is included last, from a path read from the environment: it may set the flag."""
import os

from split_settings.tools import include, optional

include(
    "components/common.py",
    "components/security.py",
    optional(os.environ.get("APP_SETTINGS_FILE", "/etc/app/settings.py")),
)
