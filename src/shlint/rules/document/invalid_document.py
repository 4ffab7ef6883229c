"""A file, or a policy held in one of its strings, cannot be read.

## What it does
Reports a file that cannot be read as a JSON or YAML document: a syntax error, bytes that are not UTF-8 (or a
UTF-16 file), NUL bytes, nesting deeper than shlint's limit, YAML aliases that expand without bound (a
"billion laughs" file), a YAML tag that would construct an object (``!!python/object``), a file larger than
the size limit, or a policy given as a JSON string (in CloudFormation or a Terraform plan) that is not valid
JSON. The finding points at the position where reading stopped. It also reports a policy written as a list or
a number (a policy is a JSON object), and a file given a kind with `--kind` whose top level is not of that kind
(a template without `Resources`, a plan without `planned_values` or `values`): those are not JSON syntax errors,
so they carry no Access Analyzer issue code.

## Why is this bad?
A file that cannot be read is not checked at all, so every other problem in it stays hidden; and AWS rejects
the same file at deploy time. A YAML file that tries to construct objects is an attack on the tools that
read it: shlint never constructs them.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*",}
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://www.rfc-editor.org/rfc/rfc8259
- https://yaml.org/spec/1.2.2/
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
"""

from __future__ import annotations

from shlint.findings import Severity
from shlint.rules.api import Rule

RULE = Rule(
    summary="The file (or a policy string in it) cannot be read as JSON or YAML",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("syntax",),
    access_analyzer_codes=("JSON_SYNTAX_ERROR",),
)
