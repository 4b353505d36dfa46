class Repository:
    model = None

    def __init__(self, session):
        self.session = session

    def get(self, obj_id):
        return self.session.get(self.model, obj_id)

    def add(self, obj):
        self.session.add(obj)
        return obj

    def persist(self, obj):
        self.session.add(obj)
        self.session.commit()
        return obj
