"""Rules about the shape of a document: the IAM policy grammar (SH002) and duplicate keys (SH003).

``policy_grammar`` holds the grammar checks themselves, kept apart from the rule so that the tests can compare
them with the shipped JSON Schema (``shlint/schemas/iam-policy.schema.json``).
"""
