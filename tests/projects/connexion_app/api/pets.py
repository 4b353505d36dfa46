PETS = {}


def list_pets(limit=20):
    return list(PETS.values())[:limit]


def create_pet(body):
    PETS[body["id"]] = body
    return body, 201


def delete_pet(pet_id):
    PETS.pop(pet_id, None)
    return None, 204
