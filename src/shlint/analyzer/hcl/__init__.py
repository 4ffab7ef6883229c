"""Terraform source (``.tf``, HCL2): reading with exact positions, static values, and the policies it holds.

Modules, each one concern:

* :mod:`~shlint.analyzer.hcl.parse`: a ``.tf`` file -> value tree in Terraform's JSON shape + positions;
* :mod:`~shlint.analyzer.hcl.json_syntax`: a ``.tf.json`` file -> the same value tree and positions;
* :mod:`~shlint.analyzer.hcl.strings`: decoding of strings and heredocs, character by character;
* :mod:`~shlint.analyzer.hcl.source`: the :class:`~shlint.analyzer.source.Source` adaptor (the only module that
  imports the JSON/YAML loader's internals);
* :mod:`~shlint.analyzer.hcl.module`: the ``.tf`` and ``.tfvars`` files of one folder, read together;
* :mod:`~shlint.analyzer.hcl.values`: the resolver that turns expressions into
  :class:`~shlint.analyzer.expr.Expr` values, as :mod:`~shlint.analyzer.intrinsics` does for CloudFormation;
* :mod:`~shlint.analyzer.hcl.terraform`: the policy documents of a module;
* :mod:`~shlint.analyzer.hcl.calls`: ``module`` blocks with a local source, and the values they pass.

Nothing here imports tree-sitter until a file is parsed.
"""
