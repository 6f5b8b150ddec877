"""scikit-learn's estimator checks, over both estimators, with no expected failures."""

import pytest
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_get_feature_names_out_error,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

# Small, quick networks: the checks fit dozens of times.
ESTIMATORS = [
    EmbeddingMLPRegressor(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=100, random_state=0
    ),
    EmbeddingMLPClassifier(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=100, random_state=0
    ),
]
# skembed's list of expected check failures is empty.
EXPECTED_FAILED_CHECKS = {}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


EXTRA_CHECKS = [
    check_dataframe_column_names_consistency,
    check_get_feature_names_out_error,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_param_validation,
]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda est: type(est).__name__)
@pytest.mark.parametrize("check", EXTRA_CHECKS, ids=lambda check: check.__name__)
def test_checks_not_yielded_by_check_estimator(estimator, check):
    check(type(estimator).__name__, estimator)
