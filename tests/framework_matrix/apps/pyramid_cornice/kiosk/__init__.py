from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.include("cornice")
    config.add_route("ticket", "/tickets/{ticket_id}")
    config.scan()
    return config.make_wsgi_app()
