from leasehold import create_app

app = create_app()
