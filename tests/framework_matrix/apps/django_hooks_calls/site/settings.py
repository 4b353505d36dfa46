ROOT_URLCONF = "site.urls"
INSTALLED_APPS = ["django.contrib.admin", "crm"]
