from pantrypal import create_app

app = create_app()
