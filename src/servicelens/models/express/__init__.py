"""What Express middleware from npm packages does about the caller (knowledge as data)."""
