# SPDX-License-Identifier: MIT
"""Starlette's Jinja2 templates (needs ``jinja2``)."""

from starlette.templating import Jinja2Templates as Jinja2Templates
