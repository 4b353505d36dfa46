ROOT_URLCONF = "site.urls"
INSTALLED_APPS = ["django.contrib.admin", "shop"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
