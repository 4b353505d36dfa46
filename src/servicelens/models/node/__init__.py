"""Node.js runtime knowledge read by the JS/TS analyses (not taint models)."""
