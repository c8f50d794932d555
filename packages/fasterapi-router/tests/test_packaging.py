# SPDX-License-Identifier: MIT
"""The installed package ships typed, generated stubs, and its docstring examples run."""

from __future__ import annotations

import doctest
from pathlib import Path

import fasterapi_router
from fasterapi_router import _router
from fasterapi_router import router as router_module

STUB_REFERENCE = Path(__file__).parent / "stubs" / "_router.pyi.ref"


def test_py_typed_and_stub_are_installed() -> None:
    # (In an editable install the Python files and the built module live apart.)
    assert (Path(fasterapi_router.__file__).parent / "py.typed").is_file()
    assert (Path(_router.__file__).parent / "_router.pyi").is_file()


def test_generated_stub_matches_the_reference() -> None:
    # The stub is generated from the bindings at build time; a change to the native API shows
    # up here and the reference is updated on purpose (cp the installed stub over it).
    installed = Path(_router.__file__).parent / "_router.pyi"
    assert installed.read_text() == STUB_REFERENCE.read_text()


def test_docstring_examples() -> None:
    for module in (fasterapi_router, router_module):
        failed, attempted = doctest.testmod(module, raise_on_error=False)
        assert attempted > 0
        assert failed == 0, module.__name__
