# the review root is the package itself: modules are `events.views`, imports say `crowd.events.views`
ROOT_URLCONF = "crowd.urls"
TENANT_PREFIX = "org"
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}
