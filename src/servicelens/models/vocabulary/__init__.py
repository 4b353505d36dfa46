"""Word lists that say what a value is for (data only), read by servicelens.rules.python._purpose."""
