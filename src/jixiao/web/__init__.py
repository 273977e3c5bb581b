"""Web front end: home page, login templates and shared base template."""
