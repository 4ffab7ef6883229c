"""Rules that check a policy against the AWS IAM reference (SH004-SH007).

Rule modules: ``unknown_action``, ``action_resource_mismatch``, ``unknown_condition_key``,
``condition_type_mismatch``. Helpers they share: ``reference`` (statement actions, condition keys, suggestions),
``resource_types`` (does an ARN fit a resource type?), ``operators`` (condition operators), ``suggest``.
"""
