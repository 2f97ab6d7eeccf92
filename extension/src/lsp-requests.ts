import {
  AnalyzeWorkspaceRequest,
  CloneClassesRequest,
  ConventionsRequest,
  FindSimilarRequest,
  ProjectSummaryRequest,
  SetSuppressedRequest,
  type CloneClassesParams,
  type FindSimilarParams,
} from '@auxil/protocol';
import type { CancellationToken } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { z } from 'zod';

/**
 * The language server's custom requests, typed and checked: an answer that does not match its
 * schema is an error here rather than a half-drawn view later.
 */
export class LspRequests {
  constructor(private readonly client: () => LanguageClient | undefined) {}

  private async send<R extends z.ZodType>(method: string, result: R, params: unknown, token?: CancellationToken): Promise<z.infer<R>> {
    const client = this.client();
    if (!client?.isRunning()) throw new Error('The Auxil language server is not running. Run "Auxil: Restart Language Server".');
    // An undefined token must not be passed on: the client would send it as a second positional parameter.
    const answer: unknown = await (token ? client.sendRequest(method, params, token) : client.sendRequest(method, params));
    return result.parse(answer);
  }

  cloneClasses(params: CloneClassesParams, token?: CancellationToken) {
    return this.send(CloneClassesRequest.method, CloneClassesRequest.result, params, token);
  }

  projectSummary(token?: CancellationToken) {
    return this.send(ProjectSummaryRequest.method, ProjectSummaryRequest.result, {}, token);
  }

  findSimilar(params: FindSimilarParams, token?: CancellationToken) {
    return this.send(FindSimilarRequest.method, FindSimilarRequest.result, params, token);
  }

  conventions(token?: CancellationToken) {
    return this.send(ConventionsRequest.method, ConventionsRequest.result, {}, token);
  }

  analyzeWorkspace() {
    return this.send(AnalyzeWorkspaceRequest.method, AnalyzeWorkspaceRequest.result, {});
  }

  setSuppressed(classId: string, suppressed: boolean) {
    return this.send(SetSuppressedRequest.method, SetSuppressedRequest.result, { classId, suppressed });
  }
}
