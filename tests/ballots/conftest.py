import pytest

from tests.ballots.world import BallotWorld, build_ballot_world


@pytest.fixture
def bw(cast) -> BallotWorld:
    return build_ballot_world(cast)
