# SPDX-License-Identifier: MIT
# fasterapi/_compat/v2.py: the names code written against fastapi._compat.v2 imports
"""``fastapi._compat.v2``'s field type: fasterapi's :class:`ModelField`."""

from ..dependencies.models import ModelField

__all__ = ["ModelField"]
