from clinicdesk import create_app

app = create_app()
