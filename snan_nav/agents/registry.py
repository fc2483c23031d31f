"""Build any agent by name: SNAN, its two ablations and the four baselines."""
from snan_nav.agents.base import Agent
from snan_nav.world.grid import GridMap

AGENT_NAMES = ('snan', 'snan-no-astro', 'snan-no-stdp', 'random', 'qlearning', 'tremaux', 'bfs')
SNAN_NAMES = AGENT_NAMES[:3]


def make_agent(name: str, grid: GridMap, goal_cell_id: int, seed: int,
               snan_params=None, crossbar=None) -> Agent:
    """Return a fresh agent (a fresh memory) seeded by ``seed``.

    ``goal_cell_id`` is used only by the BFS oracle (the others must find the goal);
    ``snan_params`` (a ``SNANParams`` or None for the defaults) and ``crossbar`` (a
    :class:`~snan_nav.crossbar.config.CrossbarConfig`, or None for ideal weights) only by the
    SNAN variants.
    """
    if name in SNAN_NAMES:
        from snan_nav.agents.snan import make_snan_agent  # lazy: pulls in numba
        synapses = None if crossbar is None else crossbar.build(grid.n_cells, seed)
        return make_snan_agent(name, grid, snan_params, seed, synapses=synapses)
    if name == 'random':
        from snan_nav.agents.random_walk import RandomWalkAgent
        return RandomWalkAgent(seed)
    if name == 'qlearning':
        from snan_nav.agents.qlearning import QLearningAgent
        return QLearningAgent(grid.n_cells, seed)
    if name == 'tremaux':
        from snan_nav.agents.tremaux import TremauxAgent
        return TremauxAgent(seed)
    if name == 'bfs':
        from snan_nav.agents.bfs_oracle import BFSOracleAgent
        return BFSOracleAgent(grid, goal_cell_id, seed)
    raise ValueError(f'unknown agent {name!r}; valid: {", ".join(AGENT_NAMES)}')


def parse_agent_list(text: str):
    """Split a comma list of agent names; raise ValueError on an empty or unknown name."""
    names = [part.strip() for part in str(text).split(',')]
    if not names or any(not n for n in names):
        raise ValueError(f'empty agent name in {text!r}; valid: {", ".join(AGENT_NAMES)}')
    unknown = [n for n in names if n not in AGENT_NAMES]
    if unknown:
        raise ValueError(f'unknown agent(s) {", ".join(unknown)}; valid: '
                         f'{", ".join(AGENT_NAMES)}')
    return tuple(dict.fromkeys(names))
