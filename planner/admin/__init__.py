"""The admin, one module per model; importing the package registers them all."""

from django.contrib import admin

from planner.admin import answer_change, login_throttle, plan_pdf, project, rule, rule_change

__all__ = ["answer_change", "login_throttle", "plan_pdf", "project", "rule", "rule_change"]

# The rule list and forms need the width more than the app list needs a permanent sidebar.
admin.site.enable_nav_sidebar = False
