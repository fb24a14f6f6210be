"""Privacy's background work: building a subject access export (load by id, call the
builder; a task delivered twice does nothing the second time) and, daily, removing the
exports nobody downloaded in time."""

from celery import shared_task


@shared_task(acks_late=True)
def subject_access_export_build(export_id: int) -> str | None:
    from .exports.build import export_build

    export = export_build(export_id=export_id)
    return export.status if export else None


@shared_task
def subject_access_exports_expire() -> int:
    from .exports.expiry import exports_expire

    return exports_expire()
