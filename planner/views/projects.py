from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path


@login_required
def home(request):
    """List the signed-in user's projects, newest first."""
    projects = request.user.projects.all()
    page = Paginator(projects, 20).get_page(request.GET.get("page"))
    return render(request, "planner/home.html", {"page": page})


urlpatterns = [
    path("", home, name="home"),
]
