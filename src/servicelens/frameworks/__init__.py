"""Framework knowledge that is structure rather than data: routes, views, auth."""
