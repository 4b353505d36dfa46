from arq import run_worker

from meterly.jobs import WorkerSettings

if __name__ == "__main__":
    run_worker(WorkerSettings)
