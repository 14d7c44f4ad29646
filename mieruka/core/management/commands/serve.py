"""`mieruka serve`: the production web server (gunicorn) with the bind address and workers from settings."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Mieruka with gunicorn (MIERUKA_BIND, MIERUKA_WORKERS, MIERUKA_TIMEOUT; see docs/operations.md)"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help=f"address:port or unix:PATH (default {settings.MIERUKA_BIND})")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"worker processes (default {settings.MIERUKA_WORKERS})")

    def handle(self, *args, bind, workers, **options):
        from gunicorn.app.base import BaseApplication

        from mieruka.conf.wsgi import application

        config = {
            "bind": bind or settings.MIERUKA_BIND,
            "workers": workers or settings.MIERUKA_WORKERS,
            "timeout": settings.MIERUKA_TIMEOUT,
            # Access lines come from Django's own request log (JSON, with the request id); gunicorn logs
            # only its start, stop and worker errors, to standard error.
            "accesslog": None,
            "errorlog": "-",
            "proc_name": "mieruka",
            # Whether X-Forwarded-Proto is believed is Django's decision alone (BEHIND_HTTPS_PROXY), not also
            # gunicorn's, which by default trusts it from 127.0.0.1.
            "forwarded_allow_ips": "",
            # gunicorn would otherwise open a control socket under ~/.gunicorn; nothing here uses it.
            "control_socket_disable": True,
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"Mieruka on http://{config['bind']} with {config['workers']} workers (gunicorn)")
        self.stdout.flush()
        Server().run()
