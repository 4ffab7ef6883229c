"""An IP address condition cannot work as written: private addresses in aws:SourceIp, or host bits in a range.

## What it does
Reads `IpAddress` and `NotIpAddress` conditions:

* `aws:SourceIp` with private addresses (RFC 1918 `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, and IPv6
  `fc00::/7`): an error when every value is private (`PRIVATE_IP_ADDRESS`, `PRIVATE_NOT_IP_ADDRESS`), a note at
  each private value of a mix (`PRIVATE_IP_ADDRESS_SUBSET`, `PRIVATE_NOT_IP_ADDRESS_SUBSET`);
* a CIDR block with bits set after its mask, such as `203.0.113.7/24` (`IMPROVE_IP_RANGE`): IAM ignores them.

## Why is this bad?
`aws:SourceIp` is the public address a request comes from; a request through a VPC endpoint carries no
`aws:SourceIp` at all (its private address is `aws:VpcSourceIp`). An `IpAddress` condition on private addresses
never matches, so the statement grants nothing; a `NotIpAddress` one always matches, so a `Deny` meant to
exempt the office network denies everyone or nobody. Host bits after the mask suggest a different range than
the one IAM uses.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/16", "192.168.1.0/24"]}}
    }
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/16", "192.168.1.0/24"]}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
- https://www.rfc-editor.org/rfc/rfc1918
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from shlint.analyzer.model import Item, Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import Condition, conditions, literals, mentions

PRIVATE = "PRIVATE_IP_ADDRESS"
PRIVATE_NOT = "PRIVATE_NOT_IP_ADDRESS"
PRIVATE_SUBSET = "PRIVATE_IP_ADDRESS_SUBSET"
PRIVATE_NOT_SUBSET = "PRIVATE_NOT_IP_ADDRESS_SUBSET"
IMPROVE_RANGE = "IMPROVE_IP_RANGE"
_SOURCE_IP = "aws:sourceip"

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from ipaddress import IPv4Network, IPv6Network


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "ipaddress"):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            if condition.operator.family != "IPAddress":
                continue
            networks = [
                (item, network)
                for item, text in literals(condition.entry.values)
                if (network := _network(text))
            ]
            for item, network in networks:
                yield from _host_bits(item, network)
            if condition.key_lower == _SOURCE_IP:
                yield from _private(condition, networks)


def _private(
    condition: Condition, networks: list[tuple[Item, IPv4Network | IPv6Network]]
) -> Iterator[Violation]:
    private = [(item, network) for item, network in networks if _is_private(network)]
    if not private:
        return
    negated = condition.negated
    if len(private) == len(condition.entry.values):
        effect = (
            "always matches, so it excludes nothing" if negated else "never matches, so it grants nothing"
        )
        item = private[0][0]
        yield Violation(
            item.pointer,
            f"every value of aws:SourceIp is a private address, which aws:SourceIp never holds (a request through a "
            f"VPC endpoint has none), so {condition.operator.base} {effect}; for addresses in a VPC use "
            "aws:VpcSourceIp",
            value=f"{condition.entry.operator} aws:SourceIp",
            access_analyzer_code=PRIVATE_NOT if negated else PRIVATE,
        )
        return
    for item, network in private:
        yield Violation(
            item.pointer,
            f"{str(network)!r} is a private range, which aws:SourceIp never holds, so this value has no effect; for "
            "addresses in a VPC use aws:VpcSourceIp in a statement of its own",
            value=item.display(),
            severity=Severity.NOTE,
            access_analyzer_code=PRIVATE_NOT_SUBSET if negated else PRIVATE_SUBSET,
        )


def _host_bits(item: Item, network: IPv4Network | IPv6Network) -> Iterator[Violation]:
    text = item.literal or ""
    if "/" in text and str(network) != text and _strict(text) is None:
        yield Violation(
            item.pointer,
            f"{text!r} has bits set after its /{network.prefixlen} mask, which IAM ignores; write {str(network)!r}",
            value=text,
            severity=Severity.NOTE,
            access_analyzer_code=IMPROVE_RANGE,
        )


@cache
def _network(text: str) -> IPv4Network | IPv6Network | None:
    import ipaddress  # here: only a policy with an IP condition pays for it

    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None  # SH007 reports a value that is no address


@cache
def _strict(text: str) -> IPv4Network | IPv6Network | None:
    import ipaddress

    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None


@cache
def _private_ranges() -> tuple[IPv4Network | IPv6Network, ...]:
    import ipaddress

    return tuple(
        ipaddress.ip_network(text) for text in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
    )


def _is_private(network: IPv4Network | IPv6Network) -> bool:
    return any(
        network.version == private.version and network.subnet_of(private)  # type: ignore[arg-type]
        for private in _private_ranges()
    )


RULE = Rule(
    summary="An IP condition cannot work as written: private addresses in aws:SourceIp, host bits in a range",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(PRIVATE, PRIVATE_NOT, PRIVATE_SUBSET, PRIVATE_NOT_SUBSET, IMPROVE_RANGE),
)
