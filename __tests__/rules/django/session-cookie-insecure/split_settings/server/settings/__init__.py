"""django-split-settings: the components run in one namespace, in this order."""
from split_settings.tools import include, optional

include(
    "components/common.py",
    "components/security.py",
    optional("environments/local.py"),
)
