# Sphinx configuration of the FasterAPI documentation (built by ci/docs.sh, warnings are errors).
project = "FasterAPI"
author = "The FasterAPI developers"
copyright = "2026, The FasterAPI developers"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
nitpicky = False
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "furo"
html_title = "FasterAPI"
exclude_patterns = ["_build"]
