import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cryoclinic.settings")
application = get_wsgi_application()
# Load the URL configuration (every view and API router) when the worker starts rather than on its first request,
# which would otherwise wait for the whole project's imports (0.7 s of the dose page's first open on 2 cores).
url_patterns = get_resolver().url_patterns
