async def get_db():
    yield object()
