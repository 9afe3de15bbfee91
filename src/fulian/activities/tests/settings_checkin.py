"""The site's settings with the check-in URLs (fulian.activities.tests.urls_checkin), for the browser test's server
until the lead includes them in fulian.urls."""

from fulian.settings import *  # noqa: F403

ROOT_URLCONF = "fulian.activities.tests.urls_checkin"
