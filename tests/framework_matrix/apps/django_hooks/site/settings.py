ROOT_URLCONF = "site.urls"
INSTALLED_APPS = ["django.contrib.admin", "blog"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "blog.middleware.TimingMiddleware",
              "blog.middleware.region_middleware"]
