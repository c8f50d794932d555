# SPDX-License-Identifier: MIT
# fasterapi/background.py: tasks that run after the response is sent
"""``BackgroundTasks``: declare a parameter of this type and add tasks to it; they run after
the response has been sent.

Example::

    @app.post("/send/")
    async def send(email: str, background_tasks: BackgroundTasks):
        background_tasks.add_task(write_log, f"sent to {email}")
        return {"message": "queued"}
"""

from starlette.background import BackgroundTasks as StarletteBackgroundTasks

from .telemetry._api import _operation, current_request_telemetry


class BackgroundTasks(StarletteBackgroundTasks):
    """Tasks to run after the response; ``add_task(func, *args, **kwargs)`` queues one
    (sync functions run in the thread pool). With telemetry, each runs in its own
    ``fastapi.background_task`` span."""

    async def __call__(self) -> None:
        if current_request_telemetry() is None:
            await super().__call__()
            return
        for task in self.tasks:
            with _operation(name="background_task", function=task.func):
                await task()
