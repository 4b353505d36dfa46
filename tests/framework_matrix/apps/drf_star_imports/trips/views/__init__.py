from .trip_views import *
from .weather_views import *
