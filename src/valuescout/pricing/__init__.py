"""Price desk: value-informed price exceptions, the written policy, approvals."""
