# SPDX-License-Identifier: MIT
"""Form parsing limits under the name FastAPI's code uses (see fasterapi._limits)."""

from ._limits import FormLimits as _FormLimits
from ._limits import validate_form_limits as _validate_form_limits

__all__ = ["_FormLimits", "_validate_form_limits"]
