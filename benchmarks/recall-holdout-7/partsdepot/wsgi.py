from partsdepot import create_app

app = create_app()
