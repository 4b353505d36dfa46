from fleet_tracker import create_app

app = create_app()
