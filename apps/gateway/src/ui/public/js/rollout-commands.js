/**
 * The lifecycle commands the detail page offers, with the permission each needs (as the
 * gateway enforces them) and the states in which the rollout accepts it. A button the user
 * lacks the permission for is not shown; one the state does not allow is shown disabled.
 */
const active = ['running', 'starting'];
const beforeStart = ['creating', 'ready', 'waiting_for_approval', 'approval_denied'];

export const rolloutCommands = [
  { verb: 'start', label: 'Start', needs: 'HANDLE_ROLLOUT', states: ['ready'] },
  { verb: 'pause', label: 'Pause', needs: 'HANDLE_ROLLOUT', states: active },
  { verb: 'resume', label: 'Resume', needs: 'HANDLE_ROLLOUT', states: ['paused'] },
  { verb: 'triggerNextGroup', label: 'Next group', needs: 'HANDLE_ROLLOUT', states: active },
  {
    verb: 'stop',
    label: 'Stop',
    needs: 'HANDLE_ROLLOUT',
    states: [...beforeStart, ...active, 'paused'],
    confirm: 'Stop this rollout? Actions not yet finished are cancelled.',
  },
  { verb: 'approve', label: 'Approve', needs: 'APPROVE_ROLLOUT', states: ['waiting_for_approval'] },
  { verb: 'deny', label: 'Deny', needs: 'APPROVE_ROLLOUT', states: ['waiting_for_approval'] },
  {
    verb: 'delete',
    label: 'Delete',
    needs: 'DELETE_ROLLOUT',
    states: [...beforeStart, ...active, 'paused', 'stopping', 'stopped', 'finished'],
    confirm: 'Delete this rollout?',
  },
];

/** The request a command makes. */
export const commandRequest = (verb, id) =>
  verb === 'delete' ? ['DELETE', `/rollouts/${id}`] : ['POST', `/rollouts/${id}/${verb}`];
