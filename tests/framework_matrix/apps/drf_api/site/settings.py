ROOT_URLCONF = "site.urls"
INSTALLED_APPS = ["rest_framework", "api"]
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}
