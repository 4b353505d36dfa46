"""Rules over lowered JavaScript/TypeScript modules; their knowledge is models/node/rules.yaml."""
