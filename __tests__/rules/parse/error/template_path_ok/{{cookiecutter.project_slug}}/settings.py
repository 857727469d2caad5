# cookiecutter renders this file; as it stands it is not the deployed settings.
SECRET_KEY = "{{ cookiecutter.secret_key }}"
DEBUG = False
{% if cookiecutter.use_https == "y" %}
SESSION_COOKIE_SECURE = True
{% endif %}
