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


class BackgroundTasks(StarletteBackgroundTasks):
    """Tasks to run after the response; ``add_task(func, *args, **kwargs)`` queues one
    (sync functions run in the thread pool)."""
