"""Work divided between cores (analysis/parallel.py)."""

import os

import pytest

from analysis.parallel import count_cores, run_tasks


def wait_for(path, seconds: float = 60) -> None:
    """Hold the calling task until ``path`` exists (another process's task made it), at most ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_results_come_back_in_task_order_from_forked_workers(tmp_path):
    # Five tasks on two workers: task 0 here, task 1 in a child (their pids differ).
    parent = os.getpid()
    results = run_tasks([lambda k=k: (k, os.getpid() == parent) for k in range(5)], workers=2)
    assert [k for k, _ in results] == [0, 1, 2, 3, 4]
    assert results[0][1] and not results[1][1]


def test_a_free_worker_takes_the_next_task(tmp_path):
    # Task 0 holds this process until task 4 has run, so the child, free after task 1,
    # takes 2, 3 and 4 in turn: dealt in turn, 2 and 4 would have waited here.
    done = tmp_path / "task-4-done"

    def wait_for_task_4():
        wait_for(done)
        return os.getpid() == parent

    def mark_done():
        done.touch()
        return os.getpid() == parent

    parent = os.getpid()
    tasks = [wait_for_task_4, *[lambda: os.getpid() == parent] * 3, mark_done]
    assert run_tasks(tasks, workers=2) == [True, False, False, False, False]



def test_a_task_s_own_tasks_run_in_the_process_that_runs_it():
    # The organisation network's betweenness divides its sources with run_tasks, and it may
    # run in a child: there its sets run one after another (a daemonic child may not fork).
    def pids_of_own_tasks():
        return run_tasks([os.getpid, os.getpid], workers=2)

    here, child = run_tasks([pids_of_own_tasks, pids_of_own_tasks], workers=2)
    assert here[0] == os.getpid() != here[1]  # this process forks as before
    assert child[0] == child[1] != os.getpid()

def test_after_fork_runs_here_before_task_0_and_only_where_children_were_forked(tmp_path):
    # The writing parts let go of the graph here once the child that writes the views holds
    # it (pipeline.write_run): after the fork, before this process's first task; never
    # when the tasks run one after another here, where task 1 still needs it.
    let_go = tmp_path / "let-go"
    parent = os.getpid()

    def let_go_here():
        let_go.write_text(str(os.getpid()))

    def let_go_before():
        return let_go.exists()

    assert run_tasks([let_go_before, lambda: os.getpid() == parent], workers=2, after_fork=let_go_here) == [True, False]
    assert let_go.read_text() == str(parent)
    let_go.unlink()
    assert run_tasks([let_go_before, let_go_before], workers=1, after_fork=let_go_here) == [False, False]
    assert not let_go.exists()


def test_one_worker_runs_everything_here():
    parent = os.getpid()
    assert run_tasks([lambda: os.getpid(), lambda: os.getpid()], workers=1) == [parent, parent]


def test_an_error_in_a_child_is_raised_in_the_parent():
    def fail():
        raise ValueError("row 3 of people.csv")

    with pytest.raises(ValueError, match="row 3"):
        run_tasks([lambda: 1, fail], workers=2)


def test_a_result_that_cannot_be_sent_back_is_an_error_after_those_sent_before_it(tmp_path):
    # A child sends its results one at a time: the first goes back, the second (a function
    # defined here, which pickle cannot send) is an error, raised here. Task 0 holds this
    # process until the child has taken task 2.
    taken = tmp_path / "task-2-taken"

    def wait_for_task_2():
        wait_for(taken)
        return 0

    def unpicklable():
        taken.touch()
        return lambda: 2

    with pytest.raises(Exception, match="pickle"):
        run_tasks([wait_for_task_2, lambda: 1, unpicklable], workers=2)


def test_cores_are_counted_from_the_affinity():
    assert 1 <= count_cores() <= (os.cpu_count() or 1)


@pytest.mark.parametrize("public, has_previous", [(False, False), (True, False), (False, True)])
def test_a_run_on_two_cores_writes_the_bytes_of_a_run_on_one(tmp_path, monkeypatch, public, has_previous):
    # The same tambon sample run with one core and with two (the analyses, the views and
    # the exports side by side; betweenness from four source sets in two processes, forced
    # on this small network by PARALLEL_SECONDS = 0), and with an earlier run to compare
    # with (the tables are then written before the other parts): every file but run.json
    # (timings) is the same, byte for byte.
    import analysis.bridges as bridges
    import analysis.parallel as parallel
    from analysis.pipeline import run_analysis
    from analysis.sample import write_sample

    dataset = write_sample(tmp_path / "sample", scale="tambon", seed=7, quarter="2026Q2")
    monkeypatch.setattr(bridges, "PARALLEL_SECONDS", 0.0)
    previous = run_analysis(dataset, tmp_path / "before") if has_previous else None
    outputs = {}
    for cores in (1, 2):
        monkeypatch.setattr(parallel, "count_cores", lambda cores=cores: cores)
        # changes.md names the run by its folder: one name, in two places.
        out = run_analysis(dataset, tmp_path / f"cores-{cores}" / "out", public=public, previous=previous)
        outputs[cores] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                          if p.is_file() and p.name != "run.json"}
    assert outputs[1].keys() == outputs[2].keys() and len(outputs[1]) > 10
    assert [name for name in outputs[1] if outputs[1][name] != outputs[2][name]] == []


def test_the_html_report_waits_for_the_views_it_links_to(tmp_path, monkeypatch):
    # Views made slow (6 s) and figures instant on two cores: the report, written in the
    # child, used to list only the views already on disk (none here); it now waits for
    # them (parallel.make_event).
    import time

    import analysis.parallel as parallel
    import analysis.render.report as report
    import analysis.render.views as views
    from analysis.pipeline import run_analysis
    from analysis.sample import write_sample

    dataset = write_sample(tmp_path / "sample", scale="tambon", seed=7, quarter="2026Q2")
    real_write_views = views.write_views

    def write_views_slowly(*args, **kwargs):
        time.sleep(6)
        return real_write_views(*args, **kwargs)

    monkeypatch.setattr(views, "write_views", write_views_slowly)
    monkeypatch.setattr(report, "write_figures", lambda tables, folder: {})
    monkeypatch.setattr(parallel, "count_cores", lambda: 2)
    out = run_analysis(dataset, tmp_path / "out")
    assert '<h2 id="views">' in (out / "report.html").read_text(encoding="utf-8")  # report.render_views


@pytest.mark.parametrize("cores, paused", [(2, True), (1, False)])
def test_the_collector_pauses_between_steps_only_where_the_run_forks(monkeypatch, cores, paused):
    # With two cores every stage forks: the collector stays off from step to step (the
    # cycles the steps leave hold next to nothing, docs/scaling.md). On one core it runs as
    # usual.
    import gc

    from analysis import parallel

    monkeypatch.setattr(parallel, "count_cores", lambda: cores)
    assert gc.isenabled()
    with parallel.pause_collector_between_forks():
        assert gc.isenabled() is not paused
    assert gc.isenabled()


def test_the_html_report_draws_its_figures_while_the_views_are_written(tmp_path, monkeypatch):
    # The figures need no view: drawn before the report waits for the views, a province run's
    # report part no longer adds the figures' seconds after the views' (docs/scaling.md).
    import time

    import analysis.parallel as parallel
    import analysis.render.report as report
    import analysis.render.views as views
    from analysis.pipeline import run_analysis
    from analysis.sample import write_sample

    dataset = write_sample(tmp_path / "sample", scale="tambon", seed=7, quarter="2026Q2")
    real_write_views = views.write_views
    views_done, figures_drawn = tmp_path / "views-done", tmp_path / "figures-drawn"

    def write_views_slowly(*args, **kwargs):
        time.sleep(6)
        views_done.write_text(str(time.monotonic()))
        return real_write_views(*args, **kwargs)

    def draw_figures(tables, folder):
        figures_drawn.write_text(str(time.monotonic()))
        return {}

    monkeypatch.setattr(views, "write_views", write_views_slowly)
    monkeypatch.setattr(report, "write_figures", draw_figures)
    monkeypatch.setattr(parallel, "count_cores", lambda: 2)
    run_analysis(dataset, tmp_path / "out")
    assert float(figures_drawn.read_text()) < float(views_done.read_text())


@pytest.mark.parametrize("public", [False, True])
def test_the_process_writing_the_tables_lets_go_of_the_graph_the_child_writes(tmp_path, monkeypatch, public):
    # On two cores the views and exports are written in a child, and this process empties
    # its graph once the child is forked (pipeline.write_run): the graph is then held once,
    # not twice, through the writing. The child still wrote every node, public or not.
    import csv

    import analysis.parallel as parallel
    from analysis.pipeline import analyse_dataset, read_stage, write_run
    from analysis.sample import write_sample

    dataset, decisions = read_stage(write_sample(tmp_path / "sample", scale="tambon", seed=7, quarter="2026Q2"))
    result = analyse_dataset(dataset, decisions, keep_org_network=False)
    n_nodes = result.graph.number_of_nodes()
    monkeypatch.setattr(parallel, "count_cores", lambda: 2)
    write_run(result, tmp_path / "out", period="2026Q2", public=public, previous=None, timings={})
    assert result.graph.number_of_nodes() == 0
    with open(tmp_path / "out" / "exports" / "network_nodes.csv", encoding="utf-8-sig") as file:
        assert len(list(csv.DictReader(file))) == n_nodes > 50
    assert len(list((tmp_path / "out" / "graphs").glob("*.html"))) > 3
