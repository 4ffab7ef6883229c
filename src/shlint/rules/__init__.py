"""The rules: one module per rule, grouped by family (``securityhub/``, ``trust/``, ``arn/``, ``grammar/``, ...).

A rule module holds a module docstring, which is the rule's documentation (a one-line title, then the headings
*What it does*, *Why is this bad?*, *Example*, *Use instead* and *References*; ``shlint explain``, the SARIF
help and ``docs/rules`` are made from it), its hooks, and ``RULE``, a :class:`shlint.rules.api.Rule`.
:mod:`shlint.rules.catalogue` lists the rules; :mod:`shlint.rules.api` is the contract between rules and engine.
"""
