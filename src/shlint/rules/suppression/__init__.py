"""Rules about shlint's own suppressions in CloudFormation Metadata (SH9xx)."""
