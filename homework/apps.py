from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "homework"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .tallies import tallies_install

        # The homework tallies' triggers, (re)installed after each migrate (tallies.py).
        post_migrate.connect(tallies_install, sender=self, dispatch_uid="homework_tallies")
        # `school` builds the demo school but may not import homework (DESIGN.md §4), so
        # homework adds its demo term of homework through school's extension registry.
        from school.demo import register_demo_extension

        from . import demo, navigation

        navigation.navigation_register()

        register_demo_extension(
            "homework", build=demo.demo_homework_build, delete=demo.demo_homework_delete, order=10
        )
        # Help notes for parents, unit dates and their links, once the homework is there.
        from .demo import learning

        register_demo_extension(
            "homework learning",
            build=learning.demo_learning_build,
            delete=learning.demo_learning_delete,
            order=60,
        )
