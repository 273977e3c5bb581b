"""Plain function views; they stay thin and call services for any real work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login: what Jixiao is, and where to go next."""
    return render(request, "web/home.html")
