def list_pets(limit=20):  # reach: request
    return load(limit)


def load(limit):  # reach: request
    return []


def delete_pet(pet_id):  # reach: request
    return None, 204
