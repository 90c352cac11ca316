import { Link } from '@backstage/core-components';
import type {
  AppDelivery,
  StepState,
} from '@homelab-portal/plugin-gitops-common';
import {
  Box,
  Chip,
  makeStyles,
  Step,
  StepContent,
  StepLabel,
  Stepper,
  Typography,
} from '@material-ui/core';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Error from '@material-ui/icons/Error';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';
import RadioButtonUnchecked from '@material-ui/icons/RadioButtonUnchecked';

const useStyles = makeStyles(theme => ({
  failed: { color: theme.palette.error.main },
  done: { color: theme.palette.success.main },
  progress: { color: theme.palette.info.main },
  pending: { color: theme.palette.text.disabled },
  message: { whiteSpace: 'pre-wrap', wordBreak: 'break-word' },
}));

/** Step icon per state (words too, for screen readers and tests). */
function StateIcon(props: { state: StepState }) {
  const classes = useStyles();
  switch (props.state) {
    case 'done':
      return <CheckCircle className={classes.done} titleAccess="done" />;
    case 'failed':
      return <Error className={classes.failed} titleAccess="failed" />;
    case 'in-progress':
      return (
        <HourglassEmpty
          className={classes.progress}
          titleAccess="in progress"
        />
      );
    default:
      return (
        <RadioButtonUnchecked
          className={classes.pending}
          titleAccess="pending"
        />
      );
  }
}

const LABEL: Record<StepState, string> = {
  done: 'live',
  'in-progress': 'on its way',
  failed: 'failed',
  pending: 'waiting',
};

export function StateChip(props: { state: StepState }) {
  const colors: Record<StepState, 'primary' | 'secondary' | 'default'> = {
    done: 'primary',
    failed: 'secondary',
    'in-progress': 'default',
    pending: 'default',
  };
  return (
    <Chip size="small" label={LABEL[props.state]} color={colors[props.state]} />
  );
}

/**
 * "Is my change live?": the pull request, the engine's reconciliation, the
 * workload and the route, in order, each with what it says and links to it.
 */
export function DeliveryTimeline(props: { delivery: AppDelivery }) {
  const { delivery } = props;
  const classes = useStyles();
  return (
    <Box data-testid={`delivery-${delivery.repository}`}>
      <Typography variant="h6">
        {delivery.app} in {delivery.repository}{' '}
        <Typography component="span" color="textSecondary">
          ({delivery.engine === 'flux' ? 'Flux' : 'Argo CD'})
        </Typography>{' '}
        <StateChip state={delivery.state} />
      </Typography>
      <Stepper orientation="vertical" nonLinear activeStep={-1}>
        {delivery.steps.map(step => (
          <Step key={step.id} active expanded completed={step.state === 'done'}>
            <StepLabel
              icon={<StateIcon state={step.state} />}
              error={step.state === 'failed'}
              data-testid={`step-${step.id}`}
              data-state={step.state}
            >
              {step.title}: {LABEL[step.state]}
            </StepLabel>
            <StepContent>
              <Typography
                variant="body2"
                className={`${classes.message} ${
                  step.state === 'failed' ? classes.failed : ''
                }`}
              >
                {step.message}
              </Typography>
              {step.at && (
                <Typography variant="caption" color="textSecondary">
                  {new Date(step.at).toLocaleString()}
                </Typography>
              )}
              {step.facts.map(f => (
                <Typography key={f.label} variant="caption" display="block">
                  {f.label}: <code>{f.value}</code>
                </Typography>
              ))}
              {step.links.map(l => (
                <Box key={l.url} component="span" mr={2}>
                  <Link to={l.url}>{l.title}</Link>
                </Box>
              ))}
            </StepContent>
          </Step>
        ))}
      </Stepper>
    </Box>
  );
}
