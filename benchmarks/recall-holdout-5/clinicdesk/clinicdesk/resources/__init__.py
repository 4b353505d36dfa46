from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from clinicdesk.resources import appointments, auth, billing, documents, patients, staff

    for module in (auth, patients, appointments, documents, billing, staff):
        api.register_blueprint(module.blp)
